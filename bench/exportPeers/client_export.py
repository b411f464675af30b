"""What `mlwf_export_model` amounts to, with the real MLflow client: download_artifacts of the
registered version into OUT/artifacts, then Python's tarfile writes OUT/model.tar.gz (gzip at
tarfile's default level, as the original CLI does). Prints its peak RSS for the benchmark.

    MLFLOW_TRACKING_URI=… python3 client_export.py NAME VERSION OUT
"""
import os
import resource
import sys
import tarfile

import mlflow

name, version, out = sys.argv[1:4]
artifacts = os.path.join(out, "artifacts")
os.makedirs(artifacts)
mlflow.artifacts.download_artifacts(artifact_uri=f"models:/{name}/{version}", dst_path=artifacts)
with tarfile.open(os.path.join(out, "model.tar.gz"), "w:gz") as archive:
    archive.add(artifacts, arcname="artifacts")
print(f"MAXRSS_KIB {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")  # for the benchmark
