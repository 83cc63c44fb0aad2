/** The 2-D row-major float tensor, one sample per row. */
package org.bpnn.tensor;
