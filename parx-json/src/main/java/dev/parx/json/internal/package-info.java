/** Internals of the JSON codec; not exported. */
package dev.parx.json.internal;
