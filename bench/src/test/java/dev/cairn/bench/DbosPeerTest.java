package dev.cairn.bench;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DbosPeerTest {

    @Test
    void dbosIsNotOnTheBenchClasspath() {
        // the peer runs from its own jar; bench depends on bench-dbos only to build it first
        assertThatThrownBy(() -> Class.forName("dev.dbos.transact.DBOS"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void aGivenJarThatIsNoFileIsRefusedBeforeAnythingStarts() {
        assertThatThrownBy(() -> DbosPeer.jar("no/such/bench-dbos.jar"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--dbos-jar no/such/bench-dbos.jar");
    }
}
