package dev.cairn.it.apps.changed;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A worker app serving {@code step-wait-step} with code that no longer matches what was recorded. */
@SpringBootApplication
public class ChangedWorkerApp {
}
