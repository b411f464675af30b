// Upload of an exported model package to S3-compatible Cloud Storage (ABCI): plain Node, used by
// src/features/upload and tested against a real S3-compatible server (moto).
export { checkBucketName, type BucketNameCheck, type BucketNameProblem } from './bucketName';
export { checkBucketAccess, createBucket, listBuckets } from './buckets';
export { withContentUrl } from './contentUrl';
export { encodeKey, objectUrl, SITE_ENDPOINTS, type ObjectUrlInput, type UrlKind, type UrlSiteProfile } from './objectUrl';
export { OPERATION_WORDS, toUploadError, UploadError, type UploadErrorContext, type UploadErrorKind, type UploadOperation } from './uploadErrors';
export { DEFAULT_PART_SIZE, DEFAULT_QUEUE_SIZE, MAX_PARTS, MIN_PART_SIZE, headObject, partSizeFor, pendingUploads, uploadFile, type ObjectInfo, type UploadFileOptions, type UploadProgress, type UploadResult } from './uploadFile';
export { abortUnfinishedUploads, listUnfinishedUploads, type UnfinishedUpload } from './unfinishedUploads';
export { registrationEmail, type RegistrationEmail, type RegistrationInput } from './registrationEmail';
