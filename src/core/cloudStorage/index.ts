// Browsing S3-compatible Cloud Storage (the Cloud Storage view, the upload's prefix picker): plain
// Node, tested against a real S3-compatible server (moto).
export { DEFAULT_PAGE_SIZE, listBucketEntries, listPage, listPrefixes, type BucketEntry, type ListingPage, type ListPageOptions, type PrefixList, type StorageObject } from './listing';
export { deleteFolderContents, FOLDER_DELETE_LIMIT, listFolderContents, type DeleteFolderOptions, type DeleteFolderResult, type FolderContents } from './deleteFolder';
export { deleteObject, downloadObject, readObject, statObject, type DownloadObjectOptions, type ObjectRef, type ObjectStat } from './objectActions';
export { asFolderPrefix, childName, DELIMITER, parentPrefix, plainEtag } from './storageKeys';
export { storageError, type StorageErrorInfo, type StorageErrorKind } from './storageErrors';
