package org.topiary.examples.bench;

import java.util.List;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * A training iterator that records which batches it handed out, in order: a 64-bit
 * order-sensitive hash of every batch's class labels (the argmax of each one-hot row) and the
 * number of batches, since the last {@link #take()}. Two arms fed by iterators with equal
 * fingerprints per epoch saw the same batches in the same order (up to hash collisions). Safe
 * when a prefetch thread (ParallelWrapper's {@code AsyncDataSetIterator}) calls {@link #next()}.
 */
final class BatchFingerprint implements DataSetIterator {
    private static final long serialVersionUID = 1L;

    /** One epoch's fingerprint: the hash and the number of batches. */
    record Epoch(long hash, int batches) {}

    private final DataSetIterator source;
    private long hash = 1125899906842597L;
    private int batches;

    BatchFingerprint(DataSetIterator source) {
        this.source = source;
    }

    /** The fingerprint of the batches handed out since the last call; starts a new one. */
    synchronized Epoch take() {
        Epoch e = new Epoch(hash, batches);
        hash = 1125899906842597L;
        batches = 0;
        return e;
    }

    private synchronized DataSet record(DataSet ds) {
        long[] classes = ds.getLabels().argMax(1).toLongVector();
        long h = hash;
        for (long c : classes) {
            h = 31 * h + c;
        }
        hash = 31 * h + classes.length;
        batches++;
        return ds;
    }

    @Override
    public DataSet next(int num) {
        return record(source.next(num));
    }

    @Override
    public DataSet next() {
        return record(source.next());
    }

    @Override
    public boolean hasNext() {
        return source.hasNext();
    }

    @Override
    public int inputColumns() {
        return source.inputColumns();
    }

    @Override
    public int totalOutcomes() {
        return source.totalOutcomes();
    }

    @Override
    public boolean resetSupported() {
        return source.resetSupported();
    }

    @Override
    public boolean asyncSupported() {
        return source.asyncSupported();
    }

    @Override
    public void reset() {
        source.reset();
    }

    @Override
    public int batch() {
        return source.batch();
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        source.setPreProcessor(preProcessor);
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return source.getPreProcessor();
    }

    @Override
    public List<String> getLabels() {
        return source.getLabels();
    }
}
