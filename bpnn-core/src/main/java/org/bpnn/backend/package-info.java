/** The backend SPI (implementer API) and backend discovery. */
package org.bpnn.backend;
