-- "Just add the column": typed into psql against one database, with no migration.
ALTER TABLE customers ADD COLUMN phone text;
