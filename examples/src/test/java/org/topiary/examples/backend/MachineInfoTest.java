package org.topiary.examples.backend;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MachineInfoTest {

    @Test
    void detect_describesThisMachine() {
        MachineInfo m = MachineInfo.detect();

        assertThat(m.logicalCpus()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(m.cpuModel()).isNotBlank();
        assertThat(m.nd4jVersion()).isEqualTo("1.0.0-M2.1");
        assertThat(m.describe()).contains("ND4J 1.0.0-M2.1").contains(m.javaVersion());
    }
}
