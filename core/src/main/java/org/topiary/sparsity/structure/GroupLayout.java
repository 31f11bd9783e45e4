package org.topiary.sparsity.structure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.sparsity.internal.Arrays4j;
import org.topiary.sparsity.internal.Checks;

/**
 * How the entries of one or more tensors partition into {@link #groupCount()} groups that are
 * pruned together: a structural unit such as an output neuron, a filter, an LSTM unit or an
 * attention head.
 *
 * <p>Each {@link Member} is one tensor read in C (row-major) order as {@code groupedShape} (a
 * reshape of its shape with the same elements), in which group {@code g} is the slice at index
 * {@code g} of {@code groupAxis}. Examples (DL4J layouts):
 *
 * <table>
 *   <caption>Group layouts</caption>
 *   <tr><th>unit</th><th>tensor, shape</th><th>grouped shape, axis</th></tr>
 *   <tr><td>dense output neuron j</td><td>W [nIn, nOut]; b [nOut]</td><td>[nIn, nOut], 1; [nOut], 0</td></tr>
 *   <tr><td>conv filter o</td><td>W [nOut, nIn, kH, kW]</td><td>same, 0</td></tr>
 *   <tr><td>LSTM unit j (gates IFOG)</td><td>W [nIn, 4nOut]; RW [nOut, 4nOut]; b [4nOut]</td>
 *       <td>[nIn, 4, nOut], 2; [nOut, 4, nOut], 2; [4, nOut], 1</td></tr>
 *   <tr><td>attention head h</td><td>Wq [nHeads, hs, nIn]; Wo [nHeads·hs, nOut]</td>
 *       <td>same, 0; [nHeads, hs, nOut], 0</td></tr>
 * </table>
 *
 * <p>A member is <i>scored</i> (its weights decide the group's score, e.g. a weight matrix) or
 * only <i>masked</i> (pruned with the group but not scored, e.g. a bias, so that a removed unit
 * outputs exactly {@code act(0)}). Immutable.
 */
public final class GroupLayout {
    /**
     * One tensor of a layout.
     *
     * @param tensorId the tensor's id, e.g. {@code "0_W"}
     * @param shape the tensor's shape
     * @param groupedShape the same elements (C order) with the group axis made explicit
     * @param groupAxis the axis of {@code groupedShape} whose index is the group
     * @param scored whether the tensor's values enter the group score
     */
    public record Member(String tensorId, long[] shape, long[] groupedShape, int groupAxis, boolean scored) {
        public Member {
            Checks.notNull("tensorId", tensorId);
            Checks.notNull("shape", shape);
            Checks.notNull("groupedShape", groupedShape);
            shape = shape.clone();
            groupedShape = groupedShape.clone();
            Checks.isTrue(
                    groupAxis >= 0 && groupAxis < groupedShape.length,
                    "groupAxis of '%s' must be in [0, %d), found %d",
                    tensorId,
                    groupedShape.length,
                    groupAxis);
            Checks.isTrue(
                    product(shape) == product(groupedShape),
                    "groupedShape %s of '%s' must have as many elements as its shape %s",
                    Arrays.toString(groupedShape),
                    tensorId,
                    Arrays.toString(shape));
        }

        /** Number of elements. */
        public long length() {
            return product(shape);
        }

        /** Elements between consecutive indices of the group axis in C order. */
        long inner() {
            long s = 1;
            for (int i = groupAxis + 1; i < groupedShape.length; i++) {
                s *= groupedShape[i];
            }
            return s;
        }

        /** The group of the element at C-order flat index {@code i}. */
        int groupOf(long i, long groupCount) {
            return (int) ((i / inner()) % groupCount);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Member m
                    && m.tensorId.equals(tensorId)
                    && Arrays.equals(m.shape, shape)
                    && Arrays.equals(m.groupedShape, groupedShape)
                    && m.groupAxis == groupAxis
                    && m.scored == scored;
        }

        @Override
        public int hashCode() {
            return tensorId.hashCode() * 31 + Arrays.hashCode(groupedShape) * 7 + groupAxis;
        }

        @Override
        public String toString() {
            return tensorId + Arrays.toString(groupedShape) + "@" + groupAxis + (scored ? "" : " (masked only)");
        }
    }

    private final String name;
    private final int groupCount;
    private final List<Member> members;

    private GroupLayout(String name, int groupCount, List<Member> members) {
        this.name = Checks.notNull("name", name);
        Checks.isTrue(groupCount >= 1, "groupCount of '%s' must be >= 1, found %d", name, groupCount);
        Checks.isTrue(!members.isEmpty(), "layout '%s' has no tensors", name);
        Checks.isTrue(
                members.stream().anyMatch(Member::scored),
                "layout '%s' has no scored tensor: at least one member must be scored",
                name);
        for (Member m : members) {
            Checks.isTrue(
                    m.groupedShape()[m.groupAxis()] == groupCount,
                    "tensor '%s' of layout '%s' has %d groups along axis %d of %s, expected %d",
                    m.tensorId(),
                    name,
                    m.groupedShape()[m.groupAxis()],
                    m.groupAxis(),
                    Arrays.toString(m.groupedShape()),
                    groupCount);
        }
        this.groupCount = groupCount;
        this.members = List.copyOf(members);
    }

    /** A builder for a layout named {@code name} (e.g. the layer) with {@code groupCount} groups. */
    public static Builder builder(String name, int groupCount) {
        return new Builder(name, groupCount);
    }

    /** The layout's name, usually the layer's. */
    public String name() {
        return name;
    }

    /** Number of groups. */
    public int groupCount() {
        return groupCount;
    }

    /** The tensors, scored ones first in the order added, then masked-only ones. */
    public List<Member> members() {
        return members;
    }

    /** The scored members. */
    public List<Member> scoredMembers() {
        return members.stream().filter(Member::scored).toList();
    }

    /**
     * Per group, the sum of {@code f(value)} over the group's elements of {@code member}, where
     * {@code values} has the member's shape.
     */
    public double[] groupSums(Member member, INDArray values, java.util.function.DoubleUnaryOperator f) {
        Checks.isTrue(
                Arrays.equals(values.shape(), member.shape()),
                "values of '%s' have shape %s, expected %s",
                member.tensorId(),
                Arrays.toString(values.shape()),
                Arrays.toString(member.shape()));
        float[] v = Arrays4j.toFloatC(values);
        double[] sums = new double[groupCount];
        long inner = member.inner();
        for (int i = 0; i < v.length; i++) {
            sums[(int) ((i / inner) % groupCount)] += f.applyAsDouble(v[i]);
        }
        return sums;
    }

    /** Whether every element of group {@code g} is pruned in {@code mask} (BOOL, the member's shape). */
    public boolean[] prunedGroups(Member member, INDArray mask) {
        boolean[] kept = Arrays4j.toBooleanC(mask, member.length());
        boolean[] anyKept = new boolean[groupCount];
        long inner = member.inner();
        for (int i = 0; i < kept.length; i++) {
            if (kept[i]) {
                anyKept[(int) ((i / inner) % groupCount)] = true;
            }
        }
        boolean[] pruned = new boolean[groupCount];
        for (int g = 0; g < groupCount; g++) {
            pruned[g] = !anyKept[g];
        }
        return pruned;
    }

    /** The BOOL mask of {@code member} (its shape) that keeps exactly the groups kept here. */
    public INDArray expand(Member member, boolean[] keptGroups) {
        Checks.isTrue(
                keptGroups.length == groupCount,
                "keptGroups must have %d entries, found %d",
                groupCount,
                keptGroups.length);
        boolean[] kept = new boolean[Math.toIntExact(member.length())];
        long inner = member.inner();
        for (int i = 0; i < kept.length; i++) {
            kept[i] = keptGroups[(int) ((i / inner) % groupCount)];
        }
        return Arrays4j.boolMask(kept, member.shape());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupLayout l && l.name.equals(name) && l.groupCount == groupCount && l.members.equals(members);
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + groupCount) * 31 + members.hashCode();
    }

    @Override
    public String toString() {
        return "GroupLayout{" + name + ", " + groupCount + " groups, " + members + "}";
    }

    static long product(long[] shape) {
        long n = 1;
        for (long d : shape) {
            Checks.isTrue(d > 0, "shapes must have positive dimensions, found %s", Arrays.toString(shape));
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Builder: add scored tensors, then masked-only ones. */
    public static final class Builder {
        private final String name;
        private final int groupCount;
        private final List<Member> scored = new ArrayList<>();
        private final List<Member> masked = new ArrayList<>();

        private Builder(String name, int groupCount) {
            this.name = name;
            this.groupCount = groupCount;
        }

        /** A tensor whose values score the groups, grouped along {@code groupAxis} of {@code groupedShape}. */
        public Builder scored(String tensorId, long[] shape, long[] groupedShape, int groupAxis) {
            scored.add(new Member(tensorId, shape, groupedShape, groupAxis, true));
            return this;
        }

        /** A scored tensor grouped along {@code groupAxis} of its own shape. */
        public Builder scored(String tensorId, long[] shape, int groupAxis) {
            return scored(tensorId, shape, shape, groupAxis);
        }

        /** A tensor pruned with its groups but not scored (a bias). */
        public Builder masked(String tensorId, long[] shape, long[] groupedShape, int groupAxis) {
            masked.add(new Member(tensorId, shape, groupedShape, groupAxis, false));
            return this;
        }

        /** Validates and builds. */
        public GroupLayout build() {
            List<Member> all = new ArrayList<>(scored);
            all.addAll(masked);
            return new GroupLayout(name, groupCount, all);
        }
    }
}
