package dev.cairn.orchestrator.worker;

import java.math.BigInteger;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Pattern;

/** Orders workflow versions: as numbers when both are integers, else as strings. */
public final class VersionOrder implements Comparator<String> {

    public static final VersionOrder INSTANCE = new VersionOrder();

    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,200}");

    private VersionOrder() {
    }

    @Override
    public int compare(String a, String b) {
        if (INTEGER.matcher(a).matches() && INTEGER.matcher(b).matches()) {
            int byValue = new BigInteger(a).compareTo(new BigInteger(b));
            return byValue != 0 ? byValue : a.compareTo(b);
        }
        return a.compareTo(b);
    }

    /** The highest of the versions. */
    public static Optional<String> highest(Collection<String> versions) {
        return versions.stream().max(INSTANCE);
    }
}
