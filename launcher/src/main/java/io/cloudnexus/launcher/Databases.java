package io.cloudnexus.launcher;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The services' databases on a PostgreSQL server, over JDBC (no {@code psql} needed). */
final class Databases {

    private final String adminUrl;
    private final String user;
    private final String password;

    Databases(String host, int port, String user, String password) {
        this.adminUrl = "jdbc:postgresql://" + host + ":" + port + "/postgres?connectTimeout=3&loginTimeout=5";
        this.user = user;
        this.password = password;
    }

    /** Null when the server answers and lets the user in; else why not. */
    String problem() {
        try (Connection c = connect()) {
            return null;
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    /** Creates those of {@code names} that do not exist; returns them. */
    List<String> createMissing(List<String> names) {
        List<String> created = new ArrayList<>();
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            Set<String> existing = new HashSet<>();
            try (ResultSet rs = s.executeQuery("SELECT datname FROM pg_database")) {
                while (rs.next()) {
                    existing.add(rs.getString(1));
                }
            }
            for (String name : names) {
                if (!existing.contains(name)) {
                    s.execute("CREATE DATABASE " + safe(name));
                    created.add(name);
                }
            }
        } catch (SQLException e) {
            throw new LauncherException(
                    "cannot create the databases as " + user + " at " + adminUrl + ": " + e.getMessage()
                            + " (set CN_DB_USER / CN_DB_PASSWORD)",
                    e);
        }
        return created;
    }

    void drop(List<String> names) {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            for (String name : names) {
                s.execute("DROP DATABASE IF EXISTS " + safe(name) + " WITH (FORCE)");
            }
        } catch (SQLException e) {
            throw new LauncherException("could not drop the databases: " + e.getMessage(), e);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(adminUrl, user, password);
    }

    private static String safe(String name) {
        if (!name.matches("[a-z0-9_]+")) {
            throw new LauncherException(
                    "unsafe database name: " + name + " (CN_DB_PREFIX: lower-case letters, digits, _)");
        }
        return name;
    }
}
