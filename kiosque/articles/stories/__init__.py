"""Stories (coverage of one event across outlets and languages) and agency copy: `services` writes, `selectors`
reads. The grouping itself is decided by `kiosque.pipeline.enrich.stories`, driven by `kiosque.crawler.stories`."""
