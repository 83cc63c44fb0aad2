package org.bpnn.optim;

/**
 * Reads back the factory call a built-in {@link LearningRateSchedule} prints as its {@code toString()}
 * (what {@link OptimizerSettings} records), e.g. {@code LearningRateSchedule.warmup(500,
 * LearningRateSchedule.stepDecay(5000, 0.5))}. Numbers are read with one correctly rounded conversion
 * from their shortest round-trip form, so the schedule rebuilt prints the same text and gives the same
 * rates.
 */
final class ScheduleText {
    private static final String PREFIX = "LearningRateSchedule.";

    private final String text;
    private int pos;

    private ScheduleText(String text) {
        this.text = text;
    }

    /** The schedule {@code text} names; IllegalStateException when it is not a built-in one's factory call. */
    static LearningRateSchedule parse(String text) {
        ScheduleText p = new ScheduleText(text);
        try {
            LearningRateSchedule s = p.schedule();
            if (p.pos == text.length() && s.toString().equals(text)) {
                return s;
            }
        } catch (RuntimeException e) {
            // not a built-in factory call (or out of its range): said below
        }
        throw new IllegalStateException("cannot rebuild the learning-rate schedule \"" + text + "\": not a built-in one's"
                + " factory call (constant, stepDecay, exponential, cosine, warmup); a schedule of your own is recorded"
                + " by its toString() only: set it on the rebuilt optimiser yourself");
    }

    private LearningRateSchedule schedule() {
        if (!text.startsWith(PREFIX, pos)) {
            throw new IllegalArgumentException("expected " + PREFIX);
        }
        pos += PREFIX.length();
        int open = text.indexOf('(', pos);
        String name = text.substring(pos, open);
        pos = open + 1;
        LearningRateSchedule s = switch (name) {
            case "constant" -> LearningRateSchedule.constant();
            case "stepDecay" -> LearningRateSchedule.stepDecay(longArg(), doubleArg());
            case "exponential" -> LearningRateSchedule.exponential(doubleArg());
            case "cosine" -> LearningRateSchedule.cosine(longArg(), longArg(), doubleArg());
            case "warmup" -> {
                long w = longArg();
                yield LearningRateSchedule.warmup(w, schedule());
            }
            default -> throw new IllegalArgumentException("unknown schedule " + name);
        };
        expect(')');
        return s;
    }

    private long longArg() {
        return Long.parseLong(token());
    }

    private double doubleArg() {
        return Double.parseDouble(token());
    }

    /** The next argument up to ", " or ")"; consumes the separator but not a closing parenthesis. */
    private String token() {
        int end = pos;
        while (end < text.length() && text.charAt(end) != ',' && text.charAt(end) != ')') end++;
        String t = text.substring(pos, end);
        pos = end;
        if (pos < text.length() && text.charAt(pos) == ',') {
            pos++;
            expect(' ');
        }
        return t;
    }

    private void expect(char c) {
        if (pos >= text.length() || text.charAt(pos) != c) {
            throw new IllegalArgumentException("expected '" + c + "' at " + pos);
        }
        pos++;
    }
}
