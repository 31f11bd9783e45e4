/** placeholder */
package org.topiary.distill;
