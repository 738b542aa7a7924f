"""Run the extraction pipeline alone (``kg.pipeline.stream``, no graph, no exports) over
a folder and print what it did as JSON: the part of a build whose memory must stay
flat however large the corpus."""
from __future__ import annotations

import json
import sys
import time

from kg.formats import ReadOptions
from kg.pipeline import BuildResult, stream


def main(folder: str, jobs: int) -> None:
    started = time.perf_counter()
    result = BuildResult()
    entities = relations = 0
    for doc in stream([folder], jobs=jobs, options=ReadOptions(text_field="content"), into=result):
        entities += len(doc.entities)
        relations += len(doc.relations)
    print(json.dumps({"built": result.built, "skipped": len(result.errors), "characters": result.characters,
                      "entities": entities, "relations": relations,
                      "seconds": time.perf_counter() - started}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
