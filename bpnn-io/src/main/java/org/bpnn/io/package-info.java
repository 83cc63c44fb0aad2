/** Model files, checkpoints and dataset readers. */
package org.bpnn.io;
