package org.topiary.sparsity.dl4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.internal.Checks;

/**
 * What a pruning run must keep across save, load and resume: the configuration, the masks (BOOL,
 * {@code true} = kept, keyed by DL4J param id) and the history of mask updates. The step itself
 * is the model's iteration count, which DL4J saves with the model.
 *
 * <p>Held by the {@link PruningListener} but not owned by it, so that persistence can write and
 * restore it. A param with no mask has nothing pruned.
 */
public final class PruningState {
    private final PruningConfig config;
    private final Map<String, INDArray> masks = new LinkedHashMap<>();
    private final List<SparsityEvent> history = new ArrayList<>();

    private PruningState(PruningConfig config) {
        this.config = Checks.notNull("config", config);
    }

    /** A fresh state: no masks, no history. */
    public static PruningState create(PruningConfig config) {
        return new PruningState(config);
    }

    /** A state restored from saved masks and history. */
    public static PruningState restore(PruningConfig config, Map<String, INDArray> masks, List<SparsityEvent> history) {
        PruningState s = new PruningState(config);
        masks.forEach(s::putMask);
        s.history.addAll(history);
        return s;
    }

    public PruningConfig config() {
        return config;
    }

    /** The masks by param id (read-only view). */
    public Map<String, INDArray> masks() {
        return Collections.unmodifiableMap(masks);
    }

    /** The mask of a param, or null when nothing of it is pruned. */
    public INDArray mask(String paramId) {
        return masks.get(paramId);
    }

    void putMask(String paramId, INDArray mask) {
        Checks.isTrue(mask.dataType() == DataType.BOOL, "mask of '%s' must be BOOL, found %s", paramId, mask.dataType());
        masks.put(paramId, mask);
    }

    /** Mask updates so far, oldest first (read-only view). */
    public List<SparsityEvent> history() {
        return Collections.unmodifiableList(history);
    }

    void addEvent(SparsityEvent e) {
        history.add(e);
    }

    /** Bytes the masks hold in memory. */
    public long maskBytes() {
        return masks.values().stream().mapToLong(m -> m.length() * m.dataType().width()).sum();
    }
}
