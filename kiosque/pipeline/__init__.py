"""Framework-free ingestion core: fetch -> parse -> extract -> enrich.

Rules (checked by import-linter): nothing here imports Django or a Kiosque app;
`fetch` is the only package that touches the network; `parse`, `extract`,
`enrich` and `images` are siblings that never import each other or `fetch`.
Every stage takes bytes/str plus an options dataclass and returns frozen
dataclasses from `types`; nothing reads global configuration.
"""
