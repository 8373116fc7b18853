/**
 * Child JVMs that run Tasks and speak JSON over stdio.
 */
package dev.parx.ipc;
