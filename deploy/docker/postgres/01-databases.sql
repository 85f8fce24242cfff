-- Runs once, when the PostgreSQL volume of docker-compose.yml is initialised
-- (docker-entrypoint-initdb.d): one database per service, as in the README's port table.
-- Each service migrates its own schema with Flyway when it starts.
CREATE DATABASE cloudnexus_gateway;
CREATE DATABASE cloudnexus_compute;
CREATE DATABASE cloudnexus_cluster;
CREATE DATABASE cloudnexus_billing;
CREATE DATABASE cloudnexus_webhook;
