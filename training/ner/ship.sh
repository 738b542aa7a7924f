#!/bin/sh
# Copy a trained model into the package and evaluate it.
#   sh training/ner/ship.sh training/ner/output/runA [python] [package model folder]
# The folder defaults to the fast model's (kg/resources/models/ner); the accurate model
# (trained with --lac lac_hidden) goes to kg/resources/models/ner-accurate.
set -e
RUN=${1:?model dir}
PY=${2:-/work/venv-ner/bin/python}
DEST=${3:-kg/resources/models/ner}
$PY training/ner/export_onnx.py "$RUN"
cp "$RUN/weights.npz" "$RUN/vocab.json.gz" "$RUN/lstm.onnx" "$DEST/"
OPENBLAS_NUM_THREADS=1 $PY training/ner/evaluate.py --model "$DEST" --json "$RUN/eval.json"
