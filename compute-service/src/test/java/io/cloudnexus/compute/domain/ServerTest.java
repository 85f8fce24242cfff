package io.cloudnexus.compute.domain;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.cloudnexus.common.problem.ProblemException;
import io.cloudnexus.contracts.events.BackupCompleted;
import io.cloudnexus.contracts.events.FirewallUpdated;
import io.cloudnexus.contracts.events.SecurityThreatDetected;
import io.cloudnexus.contracts.events.ServerCreated;
import io.cloudnexus.contracts.events.ServerProvisioned;
import io.cloudnexus.contracts.events.ServerRenamed;
import io.cloudnexus.contracts.events.ServerScaled;
import io.cloudnexus.contracts.events.ServerTerminated;
import io.cloudnexus.eventstore.NewEvent;
import io.cloudnexus.eventstore.StoredEvent;
import io.cloudnexus.testsupport.GivenWhenThen;

/** The server aggregate's decisions: given past events, when a command, then new events or a refusal. */
class ServerTest {

    private static final String ID = "srv_test1";
    private static final String ACCOUNT = "acc_test1";
    private static final GivenWhenThen<Server, NewEvent> SERVER = GivenWhenThen.of(
            history -> Server.replay(StoredEvent.history(ACCOUNT, Server.AGGREGATE, ID, Instant.EPOCH, history)),
            NewEvent::payload);

    private static final ServerCreated CREATED =
            ServerCreated.provisioning(ID, "web-1", "us-east-1", "starter", "ubuntu-22.04");
    private static final ServerProvisioned PROVISIONED = ServerProvisioned.active(ID, "us-east-1", "192.0.2.10");
    private static final ServerTerminated TERMINATED = ServerTerminated.of(ID, "us-east-1");

    @Test
    void aProvisioningServerIsProvisionedOnceWithItsIp() {
        SERVER.given(CREATED).when(s -> s.provision("192.0.2.10")).then(PROVISIONED);
        SERVER.given(CREATED, PROVISIONED).when(s -> s.provision("192.0.2.11")).thenNothing();
        SERVER.given(CREATED, TERMINATED).when(s -> s.provision("192.0.2.11")).thenNothing();
    }

    @Test
    void anUpdateRecordsWhatChangesFromTheReplayedNameAndPlan() {
        SERVER.given(CREATED, PROVISIONED)
                .when(s -> s.update("web-2", "business"))
                .then(
                        new ServerRenamed(ID, "web-1", "web-2"),
                        new ServerScaled(ID, "starter", "business", "us-east-1"));
        SERVER.given(CREATED, new ServerScaled(ID, "starter", "business", "us-east-1"))
                .when(s -> s.update("web-1", "premium"))
                .then(new ServerScaled(ID, "business", "premium", "us-east-1"));
        SERVER.given(CREATED, new ServerRenamed(ID, "web-1", "web-2"))
                .when(s -> s.update("web-2", "starter"))
                .thenNothing();
    }

    @Test
    void aTerminatedServerRefusesChangesAndASecondTermination() {
        SERVER.given(CREATED, PROVISIONED).when(Server::terminate).then(TERMINATED);
        SERVER.given(CREATED, PROVISIONED, TERMINATED)
                .when(Server::terminate)
                .thenRefused(ProblemException.class, "is terminated");
        SERVER.given(CREATED, TERMINATED)
                .when(s -> s.update("web-2", null))
                .thenRefused(ProblemException.class, "is terminated");
        SERVER.given(CREATED, PROVISIONED, TERMINATED)
                .when(s -> s.completeBackup("bkp_1", 4, 30))
                .thenNothing();
    }

    @Test
    void backupsAndThreatsNeedWhatTheServerIs() {
        SERVER.given(CREATED, PROVISIONED)
                .when(s -> s.completeBackup("bkp_1", 4, 30))
                .then(new BackupCompleted("bkp_1", ID, 4, 30));
        Threat threat = new Threat("198.51.100.7", "PORT_SCAN", true, 1200);
        SERVER.given(CREATED, PROVISIONED)
                .when(s -> s.detectThreat(threat))
                .then(new SecurityThreatDetected(
                        "198.51.100.7", SecurityThreatDetected.AttackType.PORT_SCAN, true, 1200, ID));
        SERVER.given(CREATED).when(s -> s.detectThreat(threat)).thenRefused(ProblemException.class, "is provisioning");
    }

    @Test
    void theFirstFirewallUpdateGetsAnIdThatLaterUpdatesKeep() {
        FirewallRule ssh = new FirewallRule("inbound", "tcp", "22", "203.0.113.0/24");
        FirewallUpdated.Rule sshRecorded = new FirewallUpdated.Rule(
                FirewallUpdated.Direction.INBOUND, FirewallUpdated.Protocol.TCP, "22", "203.0.113.0/24");
        SERVER.given(CREATED)
                .when(s -> s.updateFirewall(List.of(ssh)))
                .thenIgnoring(List.of("firewallId"), FirewallUpdated.of("fw_any", ID, List.of(sshRecorded)));
        SERVER.given(CREATED, FirewallUpdated.of("fw_kept", ID, List.of()))
                .when(s -> s.updateFirewall(List.of(ssh)))
                .then(FirewallUpdated.of("fw_kept", ID, List.of(sshRecorded)));
    }
}
