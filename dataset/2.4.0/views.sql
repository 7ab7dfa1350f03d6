-- Run from this folder: duckdb -init views.sql
CREATE OR REPLACE VIEW "documents" AS SELECT * FROM read_parquet('documents.parquet');
CREATE OR REPLACE VIEW "regions" AS SELECT * FROM read_parquet('regions.parquet');
CREATE OR REPLACE VIEW "agencies" AS SELECT * FROM read_parquet('agencies.parquet');
CREATE OR REPLACE VIEW "document_agencies" AS SELECT * FROM read_parquet('document_agencies.parquet');
CREATE OR REPLACE VIEW "measures" AS SELECT * FROM read_parquet('measures.parquet');
CREATE OR REPLACE VIEW "measure_cells" AS SELECT * FROM read_parquet('measure_cells.parquet');
CREATE OR REPLACE VIEW "measure_agencies" AS SELECT * FROM read_parquet('measure_agencies.parquet');
CREATE OR REPLACE VIEW "deadlines" AS SELECT * FROM read_parquet('deadlines.parquet');
CREATE OR REPLACE VIEW "tags" AS SELECT * FROM read_parquet('tags.parquet');
CREATE OR REPLACE VIEW "measure_tags" AS SELECT * FROM read_parquet('measure_tags.parquet');
CREATE OR REPLACE VIEW "document_tags" AS SELECT * FROM read_parquet('document_tags.parquet');
CREATE OR REPLACE VIEW "references" AS SELECT * FROM read_parquet('references.parquet');
CREATE OR REPLACE VIEW "cited_works" AS SELECT * FROM read_parquet('cited_works.parquet');
CREATE OR REPLACE VIEW "measure_links" AS SELECT * FROM read_parquet('measure_links.parquet');
CREATE OR REPLACE VIEW "flags" AS SELECT * FROM read_parquet('flags.parquet');
