/**
 * Helpers shared by bpnn-io's packages (and bpnn's own command line); not API: they may change
 * or go away in any release. They are public only because Java has no narrower visibility across
 * packages without a module descriptor.
 */
package org.bpnn.io.internal;
