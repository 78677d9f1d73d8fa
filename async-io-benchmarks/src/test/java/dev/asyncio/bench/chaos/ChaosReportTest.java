package dev.asyncio.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The outcome's verdict and the report: console block, Markdown table, the failure count the exit code uses. */
class ChaosReportTest {

    private static ScenarioResult passed() {
        Outcome o = new Outcome().put("udp_p50_ms", "1.4").put("errors", 0);
        o.check(true, "never shown");
        return new ScenarioResult("budget-attack", "every probe answered", o, 59.64);
    }

    private static ScenarioResult failed() {
        Outcome o = new Outcome().put("cpu_after_pct", "48.3");
        o.check(false, "CPU 48.3 % | of a core");
        o.check(false, "the echo stopped");
        return new ScenarioResult("spoofed-datagram", "CPU < 5 %", o, 47.2);
    }

    private static ScenarioResult skipped() {
        return new ScenarioResult("spoofed-datagram", "CPU < 5 %", new Outcome().skip("needs root"), 0.1);
    }

    @Test
    void verdicts() {
        assertThat(passed().outcome().verdict()).isEqualTo(Outcome.Verdict.PASS);
        assertThat(passed().outcome().detail()).isEmpty();
        assertThat(failed().outcome().verdict()).isEqualTo(Outcome.Verdict.FAIL);
        assertThat(failed().outcome().detail()).isEqualTo("CPU 48.3 % | of a core; the echo stopped");
        assertThat(skipped().outcome().verdict()).isEqualTo(Outcome.Verdict.SKIP);
    }

    @Test
    void consoleBlockShowsNameCriterionFiguresAndVerdict() {
        assertThat(ChaosReport.block(passed())).isEqualTo("""
                == budget-attack (59.6 s)
                   criterion: every probe answered
                   figures:   udp_p50_ms=1.4 errors=0
                   result:    PASS
                """);
        assertThat(ChaosReport.block(failed())).contains("result:    FAIL - CPU 48.3 % | of a core; the echo stopped");
    }

    @Test
    void markdownHasARowPerScenarioWithPipesEscapedAndTheOverallVerdict() {
        String md = ChaosReport.markdown("today", List.of(passed(), failed(), skipped()));
        assertThat(md).startsWith("# Chaos harness: today\n\n| scenario | result | pass criterion | figures |\n");
        assertThat(md).contains("| budget-attack | PASS | every probe answered | udp_p50_ms=1.4 errors=0 |");
        assertThat(md).contains("| spoofed-datagram | FAIL: CPU 48.3 % \\| of a core; the echo stopped | CPU < 5 % "
                + "| cpu_after_pct=48.3 |");
        assertThat(md).contains("| spoofed-datagram | SKIP: needs root |");
        assertThat(md).endsWith("1 of 3 scenarios FAILED.\n");
        assertThat(ChaosReport.failed(List.of(passed(), failed(), skipped()))).isEqualTo(1);
        assertThat(ChaosReport.markdown("t", List.of(passed(), skipped()))).endsWith(
                "All scenarios passed (or were skipped).\n");
    }
}
