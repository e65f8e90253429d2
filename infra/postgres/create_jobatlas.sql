-- Create the jobatlas role and database on an existing PostgreSQL server (run as a superuser with psql):
--   psql -U postgres -v password="'change-me'" -f infra/postgres/create_jobatlas.sql
-- The schema itself is created by `jobatlas db upgrade` (Alembic migrations), never by hand.
CREATE ROLE jobatlas LOGIN PASSWORD :password;
CREATE DATABASE jobatlas OWNER jobatlas ENCODING 'UTF8' TEMPLATE template0;
