package dev.asyncio.bench.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The control agent ({@code -javaagent:control-agent.jar=PORT}, how {@code run.sh} measures the sample app's heap)
 * opens the control port its argument names, does nothing without one, and names a bad argument.
 */
class ControlAgentTest {

    @Test
    void opensTheControlPortItsArgumentNames() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // free a moment ago; the agent binds it with SO_REUSEADDR
        }
        ControlAgent.premain(" " + port + " ");
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.getOutputStream().write("heap\n".getBytes(StandardCharsets.US_ASCII));
            String reply = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertThat(reply).matches("heap_used \\d+");
        }
    }

    @Test
    void withoutAPortItDoesNothing() throws Exception {
        ControlAgent.premain(null);
        ControlAgent.premain("");
        ControlAgent.premain("0");
    }

    @Test
    void aBadArgumentIsNamed() {
        assertThatThrownBy(() -> ControlAgent.premain("seven"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port number");
    }
}
