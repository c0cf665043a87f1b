package dev.cairn.orchestrator.console;

import dev.cairn.orchestrator.execution.OperationView;
import java.util.ArrayList;
import java.util.List;

/**
 * The workflow's structure as it ran, laid out for SVG from the operation tree, top to bottom: operations in
 * sequence one below the other, the branches of a parallel side by side between a fork and a join bar, the
 * iterations of a map fanned out from one point, and child contexts (child context, branch, iteration, wait for
 * callback) as boxes around what ran inside them. Each box is coloured by its operation's status.
 *
 * @param width the drawing's width in SVG units
 * @param height its height
 */
public record StructureDiagram(double width, double height, List<Box> boxes, List<Line> lines, List<Dot> dots) {

    /** Map iterations drawn at most per map; the rest are summed up in one box. */
    static final int MAX_FAN = 8;
    /** Boxes drawn at most; beyond that the diagram stops. */
    static final int MAX_BOXES = 400;
    static final double LEAF_W = 190;
    static final double LEAF_H = 42;
    static final double V_GAP = 22;
    static final double H_GAP = 16;
    static final double PAD = 10;
    static final double HEADER = 24;
    static final double FAN = 28;
    static final double MARGIN = 12;

    /**
     * An operation (or, with {@code operationId} null, a summary of iterations left out).
     *
     * @param container whether it encloses other boxes (its label sits in its header)
     * @param href where a click leads: the operation in the tree, or a chained child execution
     */
    public record Box(double x, double y, double w, double h, boolean container, String label, String detail,
            String status, String operationId, String href, String title) {

        public double centerX() {
            return x + w / 2;
        }
    }

    /** A connector; {@code bar} for the thick fork and join bars of a parallel. */
    public record Line(double x1, double y1, double x2, double y2, boolean bar) {
    }

    /** The point a map fans out from or gathers into. */
    public record Dot(double cx, double cy) {
    }

    static StructureDiagram of(List<OperationNode> roots) {
        List<Block> blocks = new ArrayList<>();
        int[] budget = {MAX_BOXES};
        for (OperationNode root : roots) {
            if (budget[0] <= 0) {
                break;
            }
            blocks.add(Block.of(root, budget));
        }
        Sequence top = new Sequence(blocks);
        List<Box> boxes = new ArrayList<>();
        List<Line> lines = new ArrayList<>();
        List<Dot> dots = new ArrayList<>();
        top.place(MARGIN, MARGIN, top.w, boxes, lines, dots);
        return new StructureDiagram(Math.max(top.w + 2 * MARGIN, LEAF_W + 2 * MARGIN), top.h + 2 * MARGIN, boxes,
                lines, dots);
    }

    /** Whether nothing ran yet. */
    public boolean empty() {
        return boxes.isEmpty();
    }

    private enum Kind { LEAF, GROUP, PARALLEL, MAP, MORE }

    /** A measured operation, placed later. */
    private static final class Block {

        final Kind kind;
        final OperationView op;
        final Sequence inner;
        final List<Block> side;
        final String moreLabel;
        double w;
        double h;

        private Block(Kind kind, OperationView op, Sequence inner, List<Block> side, String moreLabel) {
            this.kind = kind;
            this.op = op;
            this.inner = inner;
            this.side = side;
            this.moreLabel = moreLabel;
            measure();
        }

        static Block of(OperationNode node, int[] budget) {
            budget[0]--;
            OperationView op = node.op();
            if (!node.hasChildren()) {
                return new Block(Kind.LEAF, op, null, List.of(), null);
            }
            if (node.isBatch()) {
                boolean map = "Map".equals(op.subType());
                List<Block> side = new ArrayList<>();
                int shown = 0;
                for (OperationNode child : node.children()) {
                    if ((map && shown >= MAX_FAN) || budget[0] <= 0) {
                        break;
                    }
                    side.add(of(child, budget));
                    shown++;
                }
                int rest = node.children().size() - shown;
                if (rest > 0) {
                    side.add(new Block(Kind.MORE, null, null, List.of(), "+" + rest + " more"));
                }
                return new Block(map ? Kind.MAP : Kind.PARALLEL, op, null, side, null);
            }
            List<Block> inside = new ArrayList<>();
            for (OperationNode child : node.children()) {
                if (budget[0] <= 0) {
                    break;
                }
                inside.add(of(child, budget));
            }
            return new Block(Kind.GROUP, op, new Sequence(inside), List.of(), null);
        }

        private void measure() {
            switch (kind) {
                case LEAF, MORE -> {
                    w = LEAF_W;
                    h = LEAF_H;
                }
                case GROUP -> {
                    w = Math.max(LEAF_W, inner.w + 2 * PAD);
                    h = HEADER + inner.h + PAD;
                }
                case PARALLEL, MAP -> {
                    double row = side.stream().mapToDouble(b -> b.w).sum() + H_GAP * Math.max(0, side.size() - 1);
                    double tallest = side.stream().mapToDouble(b -> b.h).max().orElse(0);
                    w = Math.max(LEAF_W, row + 2 * PAD);
                    h = HEADER + FAN + tallest + FAN + PAD / 2;
                }
                default -> throw new IllegalStateException("unknown kind " + kind);
            }
        }

        void place(double x, double y, List<Box> boxes, List<Line> lines, List<Dot> dots) {
            if (kind == Kind.MORE) {
                boxes.add(new Box(x, y, w, h, false, moreLabel, "iterations", "MORE", null, null,
                        moreLabel + " iterations (see the operations tree)"));
                return;
            }
            String href = op.childExecutionId() != null ? "/console/executions/" + op.childExecutionId()
                    : "#op-" + op.id();
            String title = op.name() + " — " + op.type() + "/" + op.subType() + ", " + op.status()
                    + (op.attempt() != null && op.attempt() > 1 ? ", " + op.attempt() + " attempts" : "")
                    + (op.childExecutionId() != null ? " (opens the child execution)" : "");
            boolean container = kind != Kind.LEAF;
            boxes.add(new Box(x, y, w, h, container, ConsoleFormat.abbreviate(op.name(), container
                    ? (int) (w / 7.5) : 25), op.subType() + " · " + op.status(), op.status(), op.id(), href, title));
            double cx = x + w / 2;
            switch (kind) {
                case GROUP -> inner.place(x + PAD, y + HEADER, w - 2 * PAD, boxes, lines, dots);
                case PARALLEL, MAP -> placeSide(x, y, cx, lines, boxes, dots);
                default -> {
                }
            }
        }

        private void placeSide(double x, double y, double cx, List<Line> lines, List<Box> boxes, List<Dot> dots) {
            double row = side.stream().mapToDouble(b -> b.w).sum() + H_GAP * Math.max(0, side.size() - 1);
            double tallest = side.stream().mapToDouble(b -> b.h).max().orElse(0);
            double top = y + HEADER + FAN;
            double bottom = top + tallest;
            double forkY = y + HEADER + FAN / 2;
            double joinY = bottom + FAN / 2;
            double left = x + (w - row) / 2;
            List<Double> centers = new ArrayList<>();
            for (Block b : side) {
                b.place(left, top, boxes, lines, dots);
                centers.add(left + b.w / 2);
                left += b.w + H_GAP;
            }
            if (kind == Kind.PARALLEL) {
                lines.add(new Line(cx, y + HEADER, cx, forkY, false));
                lines.add(new Line(centers.get(0) - 6, forkY, centers.get(centers.size() - 1) + 6, forkY, true));
                lines.add(new Line(centers.get(0) - 6, joinY, centers.get(centers.size() - 1) + 6, joinY, true));
                for (int i = 0; i < side.size(); i++) {
                    lines.add(new Line(centers.get(i), forkY, centers.get(i), top, false));
                    lines.add(new Line(centers.get(i), top + side.get(i).h, centers.get(i), joinY, false));
                }
            } else {
                dots.add(new Dot(cx, y + HEADER + 4));
                dots.add(new Dot(cx, bottom + FAN - 4));
                for (int i = 0; i < side.size(); i++) {
                    lines.add(new Line(cx, y + HEADER + 4, centers.get(i), top, false));
                    lines.add(new Line(centers.get(i), top + side.get(i).h, cx, bottom + FAN - 4, false));
                }
            }
        }
    }

    /** Blocks one below the other, centred, joined by arrows. */
    private static final class Sequence {

        final List<Block> blocks;
        final double w;
        final double h;

        Sequence(List<Block> blocks) {
            this.blocks = blocks;
            this.w = blocks.stream().mapToDouble(b -> b.w).max().orElse(0);
            this.h = blocks.stream().mapToDouble(b -> b.h).sum() + V_GAP * Math.max(0, blocks.size() - 1);
        }

        void place(double x, double y, double width, List<Box> boxes, List<Line> lines, List<Dot> dots) {
            double cx = x + width / 2;
            double top = y;
            for (int i = 0; i < blocks.size(); i++) {
                Block b = blocks.get(i);
                if (i > 0) {
                    lines.add(new Line(cx, top - V_GAP, cx, top, false));
                }
                b.place(cx - b.w / 2, top, boxes, lines, dots);
                top += b.h + V_GAP;
            }
        }
    }
}
