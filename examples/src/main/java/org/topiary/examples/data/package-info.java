/**
 * Fashion-MNIST for the examples and benchmarks: loading the gzip IDX files with strict checks,
 * an embedded class-balanced subset for machines without the dataset, and DL4J minibatch
 * iterators with a reproducible per-epoch order.
 *
 * <p>Entry point: {@link org.topiary.examples.data.FashionMnist}. Training data can be split into
 * training and validation parts with {@link org.topiary.examples.data.FashionMnist#split(double,
 * long)}; problems with the files raise {@link
 * org.topiary.examples.data.DatasetFormatException}.
 */
package org.topiary.examples.data;
