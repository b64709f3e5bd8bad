package dev.copybench.hypothesis;

/** The three answers a measurement can give a hypothesis. */
public enum Outcome {
    /** Holds for every selected configuration with the stated confidence: the test passes. */
    HOLDS,
    /** Violated with confidence somewhere: the test fails with the cells that broke it. */
    REFUTED,
    /** The data cannot decide (counter not countable, copied zero-copy, overlapping CIs, too few runs): the test is aborted. */
    UNDECIDABLE
}
