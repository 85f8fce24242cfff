package io.cloudnexus.testsupport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A database failure that hits one account's events only: while open, PostgreSQL refuses every insert of that
 * account's rows into {@code table} (a trigger raising an exception), so a consumer's transaction for them fails
 * on every retry; {@link #close()} drops the trigger. With {@link #committedOffset} a test checks that the consumer
 * group's offset did not pass the refused record meanwhile (nothing acknowledged before it is durable).
 */
public final class RefusingTrigger implements AutoCloseable {

    private static final String NAME = "test_refuse_account";
    private final DataSource dataSource;
    private final String table;
    private final String accountId;

    private RefusingTrigger(DataSource dataSource, String table, String accountId) {
        this.dataSource = dataSource;
        this.table = table;
        this.accountId = accountId;
    }

    /** Refuses the inserts of {@code accountId}'s rows (column {@code account_id}) into {@code table} from now on. */
    public static RefusingTrigger refuse(DataSource dataSource, String table, String accountId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE OR REPLACE FUNCTION " + NAME + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "IF NEW.account_id = '" + accountId.replace("'", "''") + "' THEN "
                    + "RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$");
            s.execute("CREATE TRIGGER " + NAME + " BEFORE INSERT ON " + table + " FOR EACH ROW EXECUTE FUNCTION " + NAME
                    + "()");
        }
        return new RefusingTrigger(dataSource, table, accountId);
    }

    /** The account's rows in the table (0 while refused). */
    public long rows() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table + " WHERE account_id = ?")) {
            ps.setString(1, accountId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The group's committed offset of the partition on the test broker (the next record it reads), -1 if none. */
    public static long committedOffset(String group, TopicPartition partition) throws Exception {
        try (Admin admin = Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.bootstrapServers()))) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get()
                    .get(partition);
            return offset == null ? -1 : offset.offset();
        }
    }

    /** Accepts the rows again. */
    @Override
    public void close() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("DROP TRIGGER IF EXISTS " + NAME + " ON " + table);
        }
    }
}
