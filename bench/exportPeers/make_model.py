"""Writes the benchmark's model folder: a `model.safetensors` of fp16 values (normally
distributed like trained weights, which deflate shrinks by ~8 %) and 56 small files of an MLflow
pyfunc model (MLmodel, environment files, tokenizer and config JSON, a few hundred KiB of extras).

    python3 make_model.py DIR WEIGHT_BYTES

The weights come from a fixed seed, so the same size gives the same bytes.
"""
import json
import os
import sys

import numpy as np

SLICE = 64 * 1024 * 1024
POOL = 256 * 1024 * 1024


def weights(path, size):
    """fp16 weights: a 256 MiB pool from a fixed seed, repeated (deflate's 32 KiB window cannot see the repeat)."""
    if os.path.exists(path) and os.path.getsize(path) == size:
        return
    rng = np.random.default_rng(20261203)
    pool = b"".join((rng.standard_normal(SLICE // 2) * 0.02).astype(np.float16).tobytes() for _ in range(POOL // SLICE))
    with open(path + ".tmp", "wb") as out:
        left = size
        while left > 0:
            n = min(len(pool), left)
            out.write(pool[:n])
            left -= n
    os.replace(path + ".tmp", path)


def small_files(root):
    rng = np.random.default_rng(7)
    files = {
        "MLmodel": "artifact_path: model\nflavors:\n  python_function:\n    loader_module: mlflow.pyfunc.model\n    python_model: python_model.pkl\n    python_version: 3.11.2\nmlflow_version: 2.14.3\n",
        "conda.yaml": "channels:\n- conda-forge\ndependencies:\n- python=3.11.2\n- pip:\n  - mlflow==2.14.3\n  - torch==2.3.1\nname: mlflow-env\n",
        "python_env.yaml": "python: 3.11.2\nbuild_dependencies:\n- pip\ndependencies:\n- -r requirements.txt\n",
        "requirements.txt": "mlflow==2.14.3\ntorch==2.3.1\ntransformers==4.41.2\nsafetensors==0.4.3\n",
        "python_model.pkl": bytes(rng.integers(0, 256, 4096, dtype=np.uint8)),
        "input_example.json": json.dumps({"inputs": ["Hello, ABCI"]}),
        "artifacts/config.json": json.dumps({"architectures": ["GPT2LMHeadModel"], "n_embd": 1536, "n_layer": 18, "vocab_size": 50257}, indent=2),
        "artifacts/generation_config.json": json.dumps({"max_new_tokens": 64}),
        "artifacts/tokenizer_config.json": json.dumps({"model_max_length": 2048, "tokenizer_class": "GPT2Tokenizer"}),
        "artifacts/special_tokens_map.json": json.dumps({"eos_token": "<|endoftext|>"}),
        "artifacts/vocab.json": json.dumps({f"tok{i}": i for i in range(50257)}),
        "artifacts/merges.txt": "\n".join(f"t{i} o{i}" for i in range(50000)),
        "artifacts/tokenizer.json": json.dumps({"model": {"vocab": {f"tok{i}": i for i in range(50257)}}}),
    }
    for i in range(56 - len(files)):
        files[f"metadata/part-{i:02d}.json"] = json.dumps({"part": i, "values": rng.normal(size=200).round(5).tolist()})
    for rel, content in files.items():
        path = os.path.join(root, *rel.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as out:
            out.write(content if isinstance(content, bytes) else content.encode())


def main():
    root, size = sys.argv[1], int(sys.argv[2])
    os.makedirs(os.path.join(root, "artifacts"), exist_ok=True)
    small_files(root)
    weights(os.path.join(root, "artifacts", "model.safetensors"), size)


main()
