/** Jazzer fuzz targets (regression mode in every mvn verify). */
package io.sansnet.fuzz;
