/** placeholder */
package org.topiary.examples;
