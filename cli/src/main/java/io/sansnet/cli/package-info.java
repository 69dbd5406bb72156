/** The sansnet command line. */
package io.sansnet.cli;
