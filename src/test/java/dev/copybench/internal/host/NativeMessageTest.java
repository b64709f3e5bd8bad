package dev.copybench.internal.host;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine's own message routines, through JNA: what the Java side knows about the wire format. */
class NativeMessageTest {

    private final NativeEngine.Lib lib = NativeEngine.local().library();

    @Test
    void aBuiltMessageVerifiesAndACorruptedOneDoesNot() {
        byte[] wire = new byte[4099];
        assertThat(lib.cb_wire_message(wire.length, 7, wire)).isZero();

        assertThat(lib.cb_verify_message(wire, wire.length, 7)).isZero();
        assertThat(lib.cb_verify_message(wire, wire.length, 8)).isEqualTo(-1);
        wire[4000] ^= 1;
        assertThat(lib.cb_verify_message(wire, wire.length, 7)).isEqualTo(-1);
    }

    @Test
    void messagesAreEightPrintableFieldsBehindAnEightByteHeader() {
        byte[] wire = new byte[64];
        lib.cb_wire_message(64, 0, wire);

        for (int i = 8; i < 64; i++) {
            assertThat((char) wire[i]).isBetween('a', 'z');
        }
    }

    @Test
    void sizesBelowEightBytesAreRejected() {
        assertThat(lib.cb_wire_message(7, 0, new byte[7])).isEqualTo(-22);   // -EINVAL
    }

    @Test
    void capabilityProbesAnswer() {
        assertThat(lib.cb_probe_so_zerocopy()).isIn(1, -92, -95);   // 1, -ENOPROTOOPT, -EOPNOTSUPP
        assertThat(lib.cb_probe_perf_event(1, 0)).isEqualTo(1);     // PERF_TYPE_SOFTWARE, CPU clock: countable everywhere
    }
}
