"""Knowledge graphs of people, agencies, places, initiatives and events from Chinese
government documents. The Python API (``kg.api``):

    import kg
    corpus = kg.build(["reports/"])        # or kg.build_texts({"a.txt": "…"})
    corpus.graph                           # networkx MultiDiGraph
    kg.sparql(corpus.dataset(), "SELECT …")

Names load on first use, so ``import kg`` stays cheap (no spaCy until a build).
"""
from importlib import import_module

__all__ = ["Corpus", "build", "build_texts", "sparql", "saved_query", "store_documents", "__version__"]


def __getattr__(name: str):
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("kg-gov")
        except PackageNotFoundError:
            return "unknown"
    if name in __all__:
        return getattr(import_module(".api", __name__), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
