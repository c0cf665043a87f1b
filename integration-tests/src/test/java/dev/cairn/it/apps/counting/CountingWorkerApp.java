package dev.cairn.it.apps.counting;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A worker app whose workflows count their side effects in a shared {@code SideEffects}. */
@SpringBootApplication
public class CountingWorkerApp {
}
