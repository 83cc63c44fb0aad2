package org.bpnn.examples;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.bpnn.backend.Backend;
import org.bpnn.backend.BackendProvider;
import org.bpnn.backend.Backends;

/**
 * A stand-in third-party backend for {@link LauncherIT}: "acme", the scalar backend under another
 * name. Not registered in this module's services (the other tests would list it); the launcher test
 * writes its own META-INF/services entry and passes both through BPNN_CLASSPATH.
 */
public final class AcmeBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "acme";
    }

    @Override
    public int priority() {
        return -1; // never chosen by default
    }

    @Override
    public Availability availability() {
        return Availability.yes();
    }

    @Override
    public Backend create(int threads) {
        Backend scalar = Backends.get("scalar", 1);
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, (proxy, m, args) -> {
            if (m.getName().equals("name")) {
                return "acme";
            }
            try {
                return m.invoke(scalar, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }
}
