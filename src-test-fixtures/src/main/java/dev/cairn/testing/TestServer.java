package dev.cairn.testing;

/**
 * A PostgreSQL server that test databases are created on.
 *
 * @param adminUrl a JDBC URL to a database on it whose user may create databases
 */
record TestServer(String adminUrl, String user, String password) {
}
