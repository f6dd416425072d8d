/**
 * The {@code chef} plugin: a deploy user event makes the matching nodes run chef-client, one run at a time
 * per node, with agent-side splay, a timeout that kills the process tree, chef's run lock honoured, and the
 * last result answered to a status query. Only the JDK is used; see the plugin README for the settings.
 */
package dev.rumor.plugins.chef;
