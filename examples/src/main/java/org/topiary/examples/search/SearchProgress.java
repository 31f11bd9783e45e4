package org.topiary.examples.search;

/**
 * Progress of a search, one call per candidate start and end. Calls may come from several
 * candidate threads at once; implementations must be thread-safe.
 */
public interface SearchProgress {

    /** Candidate {@code index} starts training. */
    void candidateStarted(int index, CandidateSettings settings);

    /** Candidate {@code record.index()} finished (completed or failed). */
    void candidateDone(CandidateRecord record);

    /** Reports nothing. */
    static SearchProgress none() {
        return new SearchProgress() {
            @Override
            public void candidateStarted(int index, CandidateSettings settings) {}

            @Override
            public void candidateDone(CandidateRecord record) {}
        };
    }
}
