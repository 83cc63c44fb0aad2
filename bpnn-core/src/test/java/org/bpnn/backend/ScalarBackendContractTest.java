package org.bpnn.backend;

import org.bpnn.backend.scalar.ScalarBackend;

/** The scalar backend against itself: keeps the contract suite honest (it must pass trivially). */
class ScalarBackendContractTest extends BackendContractTest {
    @Override
    protected Backend backend() {
        return ScalarBackend.INSTANCE;
    }
}
