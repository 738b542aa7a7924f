#!/bin/sh
# Copy a trained model into the package and evaluate it.
#   sh training/ner/ship.sh training/ner/output/runA [python]
set -e
RUN=${1:?model dir}
PY=${2:-/work/venv-ner/bin/python}
$PY training/ner/export_onnx.py "$RUN"
cp "$RUN/weights.npz" "$RUN/vocab.json.gz" "$RUN/lstm.onnx" kg/resources/models/ner/
OPENBLAS_NUM_THREADS=1 $PY training/ner/evaluate.py --json "$RUN/eval.json"
