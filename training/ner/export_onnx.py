"""Write the BiLSTM of an exported model (weights.npz + vocab.json.gz) as an ONNX
graph (lstm.onnx: one bidirectional ONNX LSTM op), so inference can run the
recurrence in onnxruntime instead of numpy.

    python training/ner/export_onnx.py MODEL_DIR
"""
from __future__ import annotations

import gzip
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def torch_to_onnx_gates(w: np.ndarray, H: int) -> np.ndarray:
    """torch gate order (i, f, g, o) -> ONNX (i, o, f, c) along axis 0."""
    i, f, g, o = (w[k * H:(k + 1) * H] for k in range(4))
    return np.concatenate([i, o, f, g], 0)


def main(model_dir: str) -> None:
    z = np.load(os.path.join(model_dir, "weights.npz"))
    with gzip.open(os.path.join(model_dir, "vocab.json.gz"), "rt", encoding="utf-8") as f:
        vocab = json.load(f)
    H = int(vocab["hidden"])
    W = np.stack([torch_to_onnx_gates(z["w_ih_f"].astype(np.float32), H),
                  torch_to_onnx_gates(z["w_ih_b"].astype(np.float32), H)])
    R = np.stack([torch_to_onnx_gates(z["w_hh_f"].astype(np.float32), H),
                  torch_to_onnx_gates(z["w_hh_b"].astype(np.float32), H)])
    Bf = torch_to_onnx_gates(z["b_f"].astype(np.float32), H)
    Bb = torch_to_onnx_gates(z["b_b"].astype(np.float32), H)
    Bias = np.stack([np.concatenate([Bf, np.zeros_like(Bf)]), np.concatenate([Bb, np.zeros_like(Bb)])])
    D = W.shape[2]
    node = helper.make_node("LSTM", ["x", "W", "R", "B", "seq_lens"], ["y"], direction="bidirectional",
                            hidden_size=H)
    graph = helper.make_graph(
        [node], "ner_bilstm",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["T", "B", D]),
         helper.make_tensor_value_info("seq_lens", TensorProto.INT32, ["B"])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["T", 2, "B", H])],
        initializer=[numpy_helper.from_array(W, "W"), numpy_helper.from_array(R, "R"),
                     numpy_helper.from_array(Bias, "B")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)], producer_name="kg-ner")
    model.ir_version = 8
    onnx.checker.check_model(model)
    out = os.path.join(model_dir, "lstm.onnx")
    onnx.save(model, out)
    print(f"wrote {out} ({os.path.getsize(out)} bytes)")


if __name__ == "__main__":
    main(sys.argv[1])
