package org.topiary.distill;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.topiary.sparsity.internal.Checks;

/**
 * A fixed set of integer translations of images, for teacher targets averaged over small shifts
 * ({@link TeacherSource#shiftAveraged}) and for consistent augmentation (the student and the
 * teacher see the same randomly shifted image: {@link ShiftedDataSetIterator} with a cache that
 * holds every shifted copy, {@link CacheOptions#withShifts}).
 *
 * <p><b>Translation.</b> Shift {@code (dy, dx)} moves the content {@code dy} pixels down and
 * {@code dx} pixels right; pixels that enter from outside the image are 0:
 *
 * <pre>
 * out[c, y, x] = in[c, y − dy, x − dx]   if 0 ≤ y − dy &lt; H and 0 ≤ x − dx &lt; W, else 0
 * </pre>
 *
 * (0 is the background of Fashion-MNIST / MNIST scaled to [0, 1]; for data whose background is
 * not 0, subtract it first.) Shift 0 is always {@code (0, 0)}, the identity.
 *
 * <p><b>Layouts.</b> Features are either flat {@code [batch, C·H·W]} in channel-major C order
 * (index {@code c·H·W + y·W + x}, as DL4J's {@code InputType.convolutionalFlat} expects) or
 * {@code [batch, C, H, W]} (NCHW). Shifted arrays have the input's shape and data type.
 *
 * <pre>{@code
 * ImageShifts s = ImageShifts.square(1, 28, 28, 1);   // 9 shifts: (0,0) and the 8 neighbours
 * INDArray moved = s.apply(features, 3);              // every row shifted by s.dy(3), s.dx(3)
 * }</pre>
 *
 * <p>Immutable.
 */
public final class ImageShifts {
    private final int channels;
    private final int height;
    private final int width;
    private final int[] dy;
    private final int[] dx;

    private ImageShifts(int channels, int height, int width, int[] dy, int[] dx) {
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.dy = dy;
        this.dx = dx;
    }

    /**
     * Every shift with {@code |dy| ≤ radius} and {@code |dx| ≤ radius}: {@code (2·radius + 1)²}
     * shifts, {@code (0, 0)} first, then row by row ({@code dy} from {@code −radius}, then {@code
     * dx} from {@code −radius}).
     *
     * @param channels {@code C ≥ 1}
     * @param height {@code H ≥ 1}, pixels
     * @param width {@code W ≥ 1}, pixels
     * @param radius {@code ≥ 0} pixels, less than both {@code H} and {@code W}
     */
    public static ImageShifts square(int channels, int height, int width, int radius) {
        Checks.nonNegative("radius", radius);
        List<int[]> offsets = new ArrayList<>();
        offsets.add(new int[] {0, 0});
        for (int y = -radius; y <= radius; y++) {
            for (int x = -radius; x <= radius; x++) {
                if (y != 0 || x != 0) {
                    offsets.add(new int[] {y, x});
                }
            }
        }
        return of(channels, height, width, offsets.toArray(new int[0][]));
    }

    /**
     * The identity and the moves of {@code 1..radius} pixels along one axis: {@code 1 + 4·radius}
     * shifts, {@code (0, 0)} first, then for {@code d = 1..radius}: {@code (−d, 0), (d, 0), (0,
     * −d), (0, d)}. Cheaper than {@link #square} when each shift costs a teacher pass.
     *
     * @param radius {@code ≥ 0} pixels, less than both {@code H} and {@code W}
     */
    public static ImageShifts cross(int channels, int height, int width, int radius) {
        Checks.nonNegative("radius", radius);
        List<int[]> offsets = new ArrayList<>();
        offsets.add(new int[] {0, 0});
        for (int d = 1; d <= radius; d++) {
            offsets.add(new int[] {-d, 0});
            offsets.add(new int[] {d, 0});
            offsets.add(new int[] {0, -d});
            offsets.add(new int[] {0, d});
        }
        return of(channels, height, width, offsets.toArray(new int[0][]));
    }

    /**
     * The identity followed by the given shifts.
     *
     * @param offsets {@code {dy, dx}} pairs, each {@code |dy| < H}, {@code |dx| < W}, all distinct
     *     and none {@code (0, 0)} other than possibly the first (the identity is added in front
     *     if missing)
     */
    public static ImageShifts of(int channels, int height, int width, int[]... offsets) {
        Checks.positive("channels", channels);
        Checks.positive("height", height);
        Checks.positive("width", width);
        Checks.notNull("offsets", offsets);
        List<int[]> list = new ArrayList<>();
        list.add(new int[] {0, 0});
        for (int i = 0; i < offsets.length; i++) {
            int[] o = offsets[i];
            if (o == null || o.length != 2) {
                throw new IllegalArgumentException(
                        "offsets[" + i + "] must be a pair {dy, dx}, found " + Arrays.toString(o));
            }
            if (Math.abs(o[0]) >= height || Math.abs(o[1]) >= width) {
                throw new IllegalArgumentException(
                        "offsets[" + i + "] = " + Arrays.toString(o) + " moves the whole image out of a " + height
                                + "x" + width + " frame; use |dy| < height and |dx| < width");
            }
            if (i == 0 && o[0] == 0 && o[1] == 0) {
                continue;
            }
            for (int[] seen : list) {
                if (seen[0] == o[0] && seen[1] == o[1]) {
                    throw new IllegalArgumentException(
                            "offsets[" + i + "] = " + Arrays.toString(o) + " appears twice (the identity (0, 0) is"
                                    + " always shift 0); list each shift once");
                }
            }
            list.add(o.clone());
        }
        int[] y = new int[list.size()];
        int[] x = new int[list.size()];
        for (int k = 0; k < y.length; k++) {
            y[k] = list.get(k)[0];
            x[k] = list.get(k)[1];
        }
        return new ImageShifts(channels, height, width, y, x);
    }

    /** The number of shifts {@code K}, the identity included. */
    public int size() {
        return dy.length;
    }

    /** Rows down of shift {@code k}. */
    public int dy(int k) {
        return dy[Objects.checkIndex(k, dy.length)];
    }

    /** Columns right of shift {@code k}. */
    public int dx(int k) {
        return dx[Objects.checkIndex(k, dx.length)];
    }

    /** {@code C}. */
    public int channels() {
        return channels;
    }

    /** {@code H}, pixels. */
    public int height() {
        return height;
    }

    /** {@code W}, pixels. */
    public int width() {
        return width;
    }

    /** Every row of {@code features} moved by shift {@code k}; a new array. */
    public INDArray apply(INDArray features, int k) {
        Objects.checkIndex(k, dy.length);
        int[] ks = new int[(int) Checks.notNull("features", features).size(0)];
        Arrays.fill(ks, k);
        return apply(features, ks);
    }

    /**
     * Row {@code i} of {@code features} moved by shift {@code shiftOfRow[i]}; a new array of the
     * same shape and data type.
     *
     * @throws IllegalArgumentException if the features are not {@code [batch, C·H·W]} or {@code
     *     [batch, C, H, W]} of this shape set, or {@code shiftOfRow} has another length or an
     *     index outside {@code 0..K-1}
     */
    public INDArray apply(INDArray features, int[] shiftOfRow) {
        Checks.notNull("features", features);
        Checks.notNull("shiftOfRow", shiftOfRow);
        long[] shape = features.shape();
        int pixels = channels * height * width;
        boolean flat = shape.length == 2 && shape[1] == pixels;
        boolean nchw = shape.length == 4 && shape[1] == channels && shape[2] == height && shape[3] == width;
        if (!flat && !nchw) {
            throw new IllegalArgumentException(
                    "features of shape " + Arrays.toString(shape) + " are not images of " + this + ": expected [batch, "
                            + pixels + "] (flat, channel-major) or [batch, " + channels + ", " + height + ", " + width
                            + "]");
        }
        int batch = (int) shape[0];
        if (shiftOfRow.length != batch) {
            throw new IllegalArgumentException(
                    "shiftOfRow has " + shiftOfRow.length + " entries for a batch of " + batch + "; give one per row");
        }
        for (int i = 0; i < batch; i++) {
            if (shiftOfRow[i] < 0 || shiftOfRow[i] >= dy.length) {
                throw new IllegalArgumentException(
                        "shiftOfRow[" + i + "] = " + shiftOfRow[i] + " is not a shift index in 0.." + (dy.length - 1));
            }
        }
        float[] in = features.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] out = new float[in.length];
        for (int i = 0; i < batch; i++) {
            int sy = dy[shiftOfRow[i]];
            int sx = dx[shiftOfRow[i]];
            int y0 = Math.max(0, sy);
            int y1 = Math.min(height, height + sy);
            int x0 = Math.max(0, sx);
            int x1 = Math.min(width, width + sx);
            int len = x1 - x0;
            if (y1 <= y0 || len <= 0) {
                continue;
            }
            for (int c = 0; c < channels; c++) {
                int base = i * pixels + c * height * width;
                for (int y = y0; y < y1; y++) {
                    System.arraycopy(in, base + (y - sy) * width + (x0 - sx), out, base + y * width + x0, len);
                }
            }
        }
        INDArray result = Nd4j.create(out, shape, 'c');
        return features.dataType() == DataType.FLOAT ? result : result.castTo(features.dataType());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageShifts s && channels == s.channels && height == s.height && width == s.width
                && Arrays.equals(dy, s.dy) && Arrays.equals(dx, s.dx);
    }

    @Override
    public int hashCode() {
        return Objects.hash(channels, height, width, Arrays.hashCode(dy), Arrays.hashCode(dx));
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("ImageShifts{").append(channels).append("x").append(height).append("x")
                .append(width).append(", ").append(dy.length).append(" shifts [");
        for (int k = 0; k < dy.length; k++) {
            b.append(k == 0 ? "" : " ").append("(").append(dy[k]).append(",").append(dx[k]).append(")");
        }
        return b.append("]}").toString();
    }
}
