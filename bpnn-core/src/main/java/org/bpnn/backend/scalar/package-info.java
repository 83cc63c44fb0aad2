/** The scalar reference backend: the specification of every primitive. */
package org.bpnn.backend.scalar;
