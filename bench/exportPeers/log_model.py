"""Logs the benchmark's model folder with the real MLflow client (log_artifacts into the run's
`model/` folder, then register_model) and prints the run id, experiment id and version as JSON.

    MLFLOW_TRACKING_URI=… python3 log_model.py MODEL_DIR REGISTERED_NAME [--skip FILE]

`--skip` leaves one file out of the upload (the benchmark then writes it into the server's artifact
store itself, which is much faster for a 4 GiB file and what the server serves all the same).
"""
import json
import os
import shutil
import sys
import tempfile

import mlflow

src, name = sys.argv[1], sys.argv[2]
skip = sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--skip" else None
mlflow.set_experiment("export-benchmark")
with mlflow.start_run() as run:
    if skip:
        with tempfile.TemporaryDirectory() as tmp:
            staged = os.path.join(tmp, "model")
            shutil.copytree(src, staged, ignore=lambda d, names: [n for n in names if os.path.relpath(os.path.join(d, n), src) == skip])
            mlflow.log_artifacts(staged, "model")
    else:
        mlflow.log_artifacts(src, "model")
version = mlflow.register_model(f"runs:/{run.info.run_id}/model", name)
print(json.dumps({"run_id": run.info.run_id, "experiment_id": run.info.experiment_id, "version": version.version, "source": version.source}))
