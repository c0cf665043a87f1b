package dev.cairn.worker.sample;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The sample application's own beans; its package is where the starter looks for workflows. */
@Configuration(proxyBeanMethods = false)
@AutoConfigurationPackage
public class SampleBeans {

    @Bean
    Greeter greeter() {
        return new Greeter();
    }

    @Bean
    Gate gate() {
        return new Gate();
    }
}
