"""Backstage-compatible import and export of catalog-info.yaml (docs/backstage.md).

parse → to_entities → importer (writes, one transaction per file); from_entities → exporter.
"""
