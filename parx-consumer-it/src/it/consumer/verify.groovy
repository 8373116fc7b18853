// Runs after the consumer's build (also after a failed one): both test runs must have passed every
// test, none skipped, so that a run that found no tests, or lost some, fails too.
def expected = ['runsOnThePathItWasGiven', 'threadPool', 'commandPool', 'jvmPool', 'hazelcastPool'] as Set
['modulepath', 'classpath'].each { path ->
    def report = new File(basedir, "target/surefire-reports-${path}/TEST-com.example.consumer.ConsumerTest.xml")
    assert report.isFile() : "no test report for the ${path} run: ${report}"
    def suite = new groovy.xml.XmlSlurper().parse(report)
    def passed = suite.testcase
            .findAll { it.failure.size() == 0 && it.error.size() == 0 && it.skipped.size() == 0 }
            .collect { it.@name.text() } as Set
    assert passed == expected : "on the ${path}, these passed: ${passed}; expected ${expected}"
    println "consumer on the ${path}: ${passed.size()} tests passed in ${suite.@time} s"
}
// The flags in the pom are all that Hazelcast needs on either path: it did not complain.
def log = new File(basedir, 'build.log').text
['without proper access to required Java packages', 'sun.misc.Unsafe', 'restricted method'].each { complaint ->
    assert !log.contains(complaint) : "build.log: the JVM or Hazelcast wants other flags: ${complaint}"
}
return true
