package org.topiary.distill;

import java.util.List;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.topiary.sparsity.internal.Checks;

/**
 * A {@link DataSetIterator} that returns every batch of a wrapped iterator mapped by {@link
 * #map}, then passed through its own pre-processor (if set). Everything else is the wrapped
 * iterator's: reset, batch size, labels, async and reset support.
 */
abstract class BatchMappingIterator implements DataSetIterator {
    private static final long serialVersionUID = 1L;

    /** The wrapped iterator. */
    final DataSetIterator base;

    private DataSetPreProcessor preProcessor;

    BatchMappingIterator(DataSetIterator base) {
        this.base = Checks.notNull("base", base);
    }

    /** The batch returned for {@code batch} of the wrapped iterator, before the pre-processor. */
    abstract DataSet map(DataSet batch);

    @Override
    public final DataSet next(int num) {
        return finish(map(base.next(num)));
    }

    @Override
    public final DataSet next() {
        return finish(map(base.next()));
    }

    private DataSet finish(DataSet d) {
        if (preProcessor != null) {
            preProcessor.preProcess(d);
        }
        return d;
    }

    @Override
    public boolean hasNext() {
        return base.hasNext();
    }

    @Override
    public int inputColumns() {
        return base.inputColumns();
    }

    @Override
    public int totalOutcomes() {
        return base.totalOutcomes();
    }

    @Override
    public boolean resetSupported() {
        return base.resetSupported();
    }

    @Override
    public boolean asyncSupported() {
        return base.asyncSupported();
    }

    @Override
    public void reset() {
        base.reset();
    }

    @Override
    public int batch() {
        return base.batch();
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return base.getLabels();
    }
}
