package dev.asyncio.bench.chaos;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders scenario results: a block per scenario for the console as it finishes, and the summary as Markdown (the
 * same table is printed at the end and written to {@code build/CHAOS.md}). Pure.
 */
final class ChaosReport {

    private ChaosReport() {
    }

    /**
     * @param r one result
     * @return its console block: name, criterion, figures, verdict (and why, unless it passed)
     */
    static String block(ScenarioResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append("== ").append(r.name()).append(" (").append(seconds(r.seconds())).append(")\n");
        sb.append("   criterion: ").append(r.criterion()).append('\n');
        sb.append("   figures:   ").append(figures(r.outcome().figures())).append('\n');
        sb.append("   result:    ").append(r.outcome().verdict());
        if (!r.outcome().detail().isEmpty()) {
            sb.append(" - ").append(r.outcome().detail());
        }
        return sb.append('\n').toString();
    }

    /**
     * @param title   the heading's text, e.g. the date and the jar
     * @param results every result, in run order
     * @return the Markdown summary: a heading, one table row per scenario, the overall verdict
     */
    static String markdown(String title, List<ScenarioResult> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Chaos harness: ").append(title).append("\n\n");
        sb.append("| scenario | result | pass criterion | figures |\n");
        sb.append("|---|---|---|---|\n");
        for (ScenarioResult r : results) {
            String verdict = r.outcome().verdict().name();
            if (!r.outcome().detail().isEmpty()) {
                verdict += ": " + r.outcome().detail();
            }
            sb.append("| ").append(cell(r.name())).append(" | ").append(cell(verdict)).append(" | ")
                    .append(cell(r.criterion())).append(" | ").append(cell(figures(r.outcome().figures())))
                    .append(" |\n");
        }
        sb.append('\n').append(failed(results) == 0 ? "All scenarios passed (or were skipped)."
                : failed(results) + " of " + results.size() + " scenarios FAILED.").append('\n');
        return sb.toString();
    }

    /**
     * @param results every result
     * @return how many failed
     */
    static long failed(List<ScenarioResult> results) {
        return results.stream().filter(r -> r.outcome().verdict() == Outcome.Verdict.FAIL).count();
    }

    private static String figures(Map<String, String> figures) {
        return figures.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.1f s", s);
    }
}
