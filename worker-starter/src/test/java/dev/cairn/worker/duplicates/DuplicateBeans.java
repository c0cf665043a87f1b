package dev.cairn.worker.duplicates;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Configuration;

/** An application whose package holds two workflows with the same name and version. */
@Configuration(proxyBeanMethods = false)
@AutoConfigurationPackage
public class DuplicateBeans {
}
